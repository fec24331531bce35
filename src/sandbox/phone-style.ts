// The phone view's stylesheet, served as /_sandbox/phone.css (a file of its own, so the page's
// Content-Security-Policy can forbid inline styles).

export const PHONE_CSS = `* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #d9dbd5; display: flex; justify-content: center; }
.phone { width: 390px; max-width: 100vw; height: 100vh; max-height: 820px; margin-top: 1vh; display: flex; flex-direction: column;
  background: #efeae2; border-radius: 18px; overflow: hidden; box-shadow: 0 6px 30px rgba(0,0,0,.25); }
/* One column that never grows past the phone: long names are cut with an ellipsis inside their
   picker, and the persona line wraps, instead of pushing the pickers out of view. */
header { background: #075e54; color: #fff; padding: 8px 10px; display: grid; grid-template-columns: minmax(0, 1fr); gap: 6px; }
header .row { display: flex; gap: 6px; align-items: center; min-width: 0; }
header select, header button { font: inherit; border-radius: 6px; border: 0; padding: 4px 6px; }
header select { flex: 1 1 0; min-width: 0; width: 100%; text-overflow: ellipsis; }
.title { font-weight: 600; flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.meta { font-size: 12px; opacity: .85; overflow-wrap: anywhere; }
.ticks { display: inline-flex; vertical-align: -2px; margin-left: 3px; }
.ticks svg { width: 17px; height: 11px; }
.ticks.read { color: #34b7f1; }
.ticks.failed { color: #b00020; font-weight: 700; }
#chat { flex: 1; overflow-y: auto; padding: 10px; display: flex; flex-direction: column; gap: 6px; }
.msg { max-width: 80%; padding: 6px 8px; border-radius: 8px; white-space: pre-wrap; word-wrap: break-word; position: relative; }
.out { align-self: flex-start; background: #fff; }
.in { align-self: flex-end; background: #d9fdd3; }
.time { font-size: 11px; color: #667; margin-left: 6px; }
.failed { color: #b00020; font-size: 12px; }
.taps { display: grid; gap: 4px; margin-top: 6px; }
.taps button { font: inherit; background: #f7f8fa; color: #027eb5; border: 1px solid #dde; border-radius: 6px; padding: 4px; cursor: pointer; }
.reaction { position: absolute; bottom: -10px; right: 6px; background: #fff; border-radius: 10px; padding: 0 4px; font-size: 13px; }
.react { border: 0; background: transparent; cursor: pointer; opacity: .5; }
.react:hover { opacity: 1; }
.emojis button { border: 0; background: transparent; font-size: 18px; cursor: pointer; }
.empty { text-align: center; color: #667; margin-top: 30%; }
form { display: flex; gap: 6px; padding: 8px; background: #f0f2f5; }
form input { flex: 1; font: inherit; border: 0; border-radius: 18px; padding: 8px 12px; }
form button { font: inherit; border: 0; border-radius: 18px; padding: 8px 14px; background: #00a884; color: #fff; cursor: pointer; }
.actions { display: flex; gap: 6px; padding: 0 8px 8px; background: #f0f2f5; }
.actions button { font: inherit; font-size: 12px; border: 1px solid #ccd; border-radius: 12px; background: #fff; padding: 3px 8px; cursor: pointer; }
#error { color: #b00020; padding: 0 10px; font-size: 12px; background: #f0f2f5; }
`;
