// A <dialog> opened as a modal while its component is mounted (focus moves in and is trapped by the
// browser; Esc asks the owner to close), labelled by its title: the dialog's ref and the title's id.

import { useEffect, useId, useRef } from 'react';

export function useModal(): { ref: React.RefObject<HTMLDialogElement | null>; titleId: string } {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  return { ref, titleId };
}
