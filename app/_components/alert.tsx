export function Alert({ id, children }: { id?: string; children: string }) {
  return (
    <p id={id} className="alert" role="alert">
      {children}
    </p>
  );
}
