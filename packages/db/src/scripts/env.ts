// The only place the db scripts read the environment.
import { homedir } from "node:os";
import { resolveTollgateHome } from "@tollgate/core";

export const scriptEnv = {
  databaseUrl: process.env.DATABASE_URL || undefined,
  home: resolveTollgateHome({
    tollgateHome: process.env.TOLLGATE_HOME,
    xdgDataHome: process.env.XDG_DATA_HOME,
    userHome: homedir(),
  }),
};
