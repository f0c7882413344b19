// A box that scrolls a wide table sideways and says so: when the table is wider than the box, a visible cue
// names the hidden columns' direction, so nothing is cut off without the reader knowing.
import { useEffect, useRef, useState, type ReactNode } from 'react';

export function TableWrap({ children }: { children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState<'none' | 'right' | 'left' | 'both'>('none');
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const check = () => {
      const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      const left = el.scrollLeft > 1;
      setHidden(right && left ? 'both' : right ? 'right' : left ? 'left' : 'none');
    };
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    const table = el.firstElementChild;
    if (table) observer.observe(table);
    el.addEventListener('scroll', check, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', check);
    };
  }, []);
  return (
    <>
      <div
        ref={box}
        className="table-wrap"
        tabIndex={hidden === 'none' ? undefined : 0}
        role="region"
        aria-label={hidden === 'none' ? undefined : 'Table, scrolls sideways'}
      >
        {children}
      </div>
      {hidden !== 'none' && (
        <p className="scroll-cue" data-scroll-cue={hidden}>
          {hidden === 'right'
            ? 'More columns to the right: scroll the table sideways →'
            : hidden === 'left'
              ? '← More columns to the left'
              : '← More columns on both sides: scroll the table sideways →'}
        </p>
      )}
    </>
  );
}
