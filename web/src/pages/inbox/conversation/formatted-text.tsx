// Renders WhatsApp-formatted text (whatsapp-format.ts) as React elements: text nodes only, links with
// target=_blank rel="noopener noreferrer" — never innerHTML.

import { Fragment, type ReactNode } from 'react';
import { parseWhatsAppText, type Block, type InlineNode, type Line } from './whatsapp-format.js';
import styles from './formatted-text.module.css';

function renderInline(node: InlineNode, key: number): ReactNode {
  switch (node.kind) {
    case 'text': return <Fragment key={key}>{node.text}</Fragment>;
    case 'bold': return <strong key={key}>{node.children.map(renderInline)}</strong>;
    case 'italic': return <em key={key}>{node.children.map(renderInline)}</em>;
    case 'strike': return <s key={key}>{node.children.map(renderInline)}</s>;
    case 'mono': return <code key={key} className={styles.mono}>{node.text}</code>;
    case 'code': return <code key={key} className={styles.code}>{node.text}</code>;
    case 'link': return <a key={key} href={node.href} target="_blank" rel="noopener noreferrer">{node.text}</a>;
  }
}

const renderLine = (line: Line): ReactNode => line.map(renderInline);

function renderLines(lines: Line[]): ReactNode {
  return lines.map((line, i) => <Fragment key={i}>{i > 0 && <br />}{renderLine(line)}</Fragment>);
}

function renderBlock(block: Block, key: number): ReactNode {
  switch (block.kind) {
    case 'paragraph': return <p key={key} className={styles.paragraph}>{renderLines(block.lines)}</p>;
    case 'quote': return <blockquote key={key} className={styles.quote}>{renderLines(block.lines)}</blockquote>;
    case 'bullets': return <ul key={key} className={styles.list}>{block.items.map((l, i) => <li key={i}>{renderLine(l)}</li>)}</ul>;
    case 'numbered': return <ol key={key} className={styles.list} start={block.start}>{block.items.map((l, i) => <li key={i}>{renderLine(l)}</li>)}</ol>;
    case 'mono': return <pre key={key} className={styles.pre}>{block.text}</pre>;
  }
}

export function FormattedText(props: { text: string }): ReactNode {
  return <div className={styles.text} dir="auto">{parseWhatsAppText(props.text).map(renderBlock)}</div>;
}
