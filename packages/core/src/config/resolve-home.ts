/** The data directory: TOLLGATE_HOME, else $XDG_DATA_HOME/tollgate, else ~/.local/share/tollgate (SPEC §2). */
export function resolveTollgateHome(input: {
  tollgateHome?: string | undefined;
  xdgDataHome?: string | undefined;
  userHome: string;
}): string {
  if (input.tollgateHome) return input.tollgateHome;
  const base = input.xdgDataHome || `${input.userHome.replace(/\/$/, "")}/.local/share`;
  return `${base}/tollgate`;
}
