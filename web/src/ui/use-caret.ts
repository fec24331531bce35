// Moving a text box's caret after the app changed its value (a picked @name, a canned reply, an emoji).
// Done in a layout effect of the commit that shows the new value, not in a later animation frame:
// keys typed before that frame would land first and the caret would then jump back among them.

import { useCallback, useLayoutEffect, useRef, type RefObject } from 'react';

/** Returns `place(at)`: call it with the new value's caret position right before setting that value. */
export function usePlaceCaret(box: RefObject<HTMLTextAreaElement | null>, value: string): (at: number) => void {
  const pending = useRef<number | null>(null);
  useLayoutEffect(() => {
    const at = pending.current;
    const el = box.current;
    if (at === null || !el) return;
    pending.current = null;
    el.focus();
    el.setSelectionRange(at, at);
  }, [box, value]);
  return useCallback((at: number) => { pending.current = at; }, []);
}
