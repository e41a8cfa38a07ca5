import { CopyButton } from "../copy-button.tsx";

/** A titled, copyable code block. */
export function CodeSnippet({ title, code, id }: { title: string; code: string; id: string }) {
  return (
    <figure aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white">
      <figcaption className="flex items-center justify-between gap-3 border-b border-slate-200 px-4 py-2">
        <span id={id} className="text-sm font-semibold text-slate-900">
          {title}
        </span>
        <CopyButton text={code} label={`Copy ${title}`} />
      </figcaption>
      <pre className="overflow-x-auto rounded-b-lg bg-slate-900 p-4 font-mono text-xs leading-relaxed text-slate-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
