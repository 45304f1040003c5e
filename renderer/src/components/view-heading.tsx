// Each view's one h1. When the user moved to the view (a link, Back), it takes the focus as the
// view appears, so a screen reader says where they are and Tab continues from the top of the view.
import { useEffect, useRef, type ReactNode } from 'react';

export function ViewHeading({ children, focus }: { children: ReactNode; focus: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const focusOnMount = useRef(focus);
  useEffect(() => {
    if (focusOnMount.current) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="view-title">
      {children}
    </h1>
  );
}
