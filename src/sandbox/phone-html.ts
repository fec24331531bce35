// The phone view's markup; its style and script are served beside it (/_sandbox/phone.css,
// /_sandbox/phone.js): no build, no external assets, nothing inline.

export const PHONE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley sandbox · phone</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_sandbox/phone.css">
<script src="/_sandbox/phone.js" defer></script>
</head>
<body>
<div class="phone">
  <header>
    <div class="row"><span class="title" data-t="title"></span><button id="lang" type="button">RU</button></div>
    <div class="row"><select id="number" aria-label="number"></select></div>
    <div class="row"><select id="customer" aria-label="customer"></select></div>
    <div class="meta" id="meta"></div>
  </header>
  <div id="chat"></div>
  <div id="error"></div>
  <form id="composer"><input id="text" autocomplete="off"><button type="submit" data-t="send"></button></form>
  <div class="actions">
    <button type="button" id="block"></button>
    <button type="button" id="marketing"></button>
    <button type="button" id="report" data-t="report"></button>
  </div>
</div>
</body>
</html>
`;
