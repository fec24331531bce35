// The few pictograms of the pane as inline SVG (emoji fonts are not everywhere), hidden from screen readers.

import type { ReactNode } from 'react';
import styles from './message-body.module.css';

const PATHS = {
  pin: 'M8 1.5a4.5 4.5 0 0 0-4.5 4.5c0 3.4 4.5 8.5 4.5 8.5s4.5-5.1 4.5-8.5A4.5 4.5 0 0 0 8 1.5zm0 6.2a1.7 1.7 0 1 1 0-3.4 1.7 1.7 0 0 1 0 3.4z',
  file: 'M4 1h5.5L13 4.5V15H4zM9 1.5V5h3.5',
  mic: 'M8 1.5a2 2 0 0 0-2 2v4a2 2 0 0 0 4 0v-4a2 2 0 0 0-2-2zM4.5 7.5a3.5 3.5 0 0 0 7 0M8 11v3M5.5 14h5',
  note: 'M6 12.5V3l7-1.5V11M6 12.5a2 2 0 1 1-4 0 2 2 0 0 1 4 0zM13 11a2 2 0 1 1-4 0 2 2 0 0 1 4 0z',
  person: 'M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2.5 15a5.5 5.5 0 0 1 11 0',
  cart: 'M1 2h2l1.5 8h8L14 4.5H4M6 13.5a1 1 0 1 0 0 .01M12 13.5a1 1 0 1 0 0 .01',
  template: 'M3 2h10v12H3zM5.5 5h5M5.5 8h5M5.5 11h3',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon(props: { name: IconName; size?: number }): ReactNode {
  const size = props.size ?? 16;
  const filled = props.name === 'pin';
  return (
    <svg viewBox="0 0 16 16" width={size} height={size} aria-hidden="true" focusable="false"
      fill={filled ? 'currentColor' : 'none'} stroke={filled ? 'none' : 'currentColor'} strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" className={styles.icon}>
      <path d={PATHS[props.name]} />
    </svg>
  );
}
