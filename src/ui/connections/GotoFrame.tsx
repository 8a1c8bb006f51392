/**
 * Go to frame, as Wireshark's Ctrl+G: a frame number opens the connection it belongs to, with that
 * frame shown in the ladder. Ctrl+G (or ⌘G) anywhere on the page puts the cursor here.
 */
import { useEffect, useId, useRef, useState } from 'react';

interface Props {
  /** Go to the frame; resolves to a message when there is no such TCP frame, or null. */
  onGo(frame: number): Promise<string | null>;
  disabled?: boolean;
}

export function GotoFrame({ onGo, disabled = false }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'g') {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const go = async (): Promise<void> => {
    const frame = Number(text.trim());
    if (!/^\d{1,10}$/.test(text.trim()) || frame < 1) {
      setMessage('Type a frame number (1, 2, …).');
      return;
    }
    setMessage(await onGo(frame));
  };

  return (
    <form
      className="goto-frame"
      role="search"
      aria-label="Go to frame"
      onSubmit={(e) => {
        e.preventDefault();
        void go();
      }}
    >
      <label htmlFor={`${id}-frame`} className="field-label">
        Go to frame
      </label>
      <input
        ref={input}
        id={`${id}-frame`}
        inputMode="numeric"
        size={8}
        placeholder="Ctrl+G"
        value={text}
        disabled={disabled}
        aria-invalid={message !== null ? true : undefined}
        aria-describedby={message !== null ? `${id}-msg` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setMessage(null);
        }}
        data-testid="goto-frame"
      />
      {message !== null ? (
        <span className="goto-frame-message" id={`${id}-msg`} role="status">
          {message}
        </span>
      ) : null}
    </form>
  );
}
