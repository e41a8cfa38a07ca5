"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { FormField, inputClass, primaryButtonClass } from "./form-field.tsx";

/** Only same-site admin paths are followed after login. */
function safeNext(next: string | undefined): string {
  return next?.startsWith("/admin") && !next.startsWith("//") ? next : "/admin";
}

/** Password login; the server sets the HttpOnly session cookie. */
export function LoginForm({ next }: { next?: string | undefined }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [password, setPassword] = useState("");
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: () => {
        router.replace(safeNext(next));
        router.refresh();
      },
    }),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ password });
  };
  const error = login.error ? describeError(login.error) : null;
  return (
    <form onSubmit={onSubmit} className="mt-5 space-y-4" noValidate>
      <FormField id="password" label="Password" error={error?.field === "password" ? error.message : undefined}>
        {(aria) => (
          <input
            {...aria}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            className={inputClass}
          />
        )}
      </FormField>
      {error && error.field !== "password" ? <ErrorMessage title="Sign-in failed" error={error} /> : null}
      <button type="submit" disabled={login.isPending || password === ""} className={primaryButtonClass}>
        {login.isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
