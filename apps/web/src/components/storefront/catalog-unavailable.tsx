/** Shown when the catalog document could not be read: the page still explains itself. */
export function CatalogUnavailable({ message }: { message: string }) {
  return (
    <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-6 text-amber-950">
      <h3 className="font-semibold">The offer list is not available right now</h3>
      <p className="mt-2 text-sm">
        {message}. Try again in a moment; agents can read the same list at /api/services.json.
      </p>
    </div>
  );
}
