import { BUILTIN_RESOURCES } from "./builtin-resources.ts";
import { CRD_RESOURCE, resourcesOfCrd } from "./crd-resources.ts";
import type { KubeObject, ResourceDef } from "./types.ts";

/** The resources the server serves: built-ins plus every served version of every CRD. */
export class ResourceRegistry {
  private readonly builtins: ResourceDef[] = [...BUILTIN_RESOURCES, CRD_RESOURCE];
  private readonly custom = new Map<string, ResourceDef[]>();

  all(): ResourceDef[] {
    return [...this.builtins, ...[...this.custom.values()].flat()];
  }

  find(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.all().find((d) => d.group === group && d.version === version && d.resource === resource);
  }

  /** Group-versions in discovery order (core first, then groups by name). */
  groupVersions(): { group: string; versions: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const d of this.all()) {
      const versions = groups.get(d.group) ?? [];
      if (!versions.includes(d.version)) versions.push(d.version);
      groups.set(d.group, versions);
    }
    return [...groups.entries()].map(([group, versions]) => ({ group, versions }));
  }

  setCrd(crd: KubeObject): void {
    this.custom.set(crd.metadata.name!, resourcesOfCrd(crd));
  }

  removeCrd(name: string): ResourceDef[] {
    const defs = this.custom.get(name) ?? [];
    this.custom.delete(name);
    return defs;
  }
}

/** Storage key shared by every version of a resource. */
export const resourceKey = (def: { group: string; resource: string }): string => `${def.group}/${def.resource}`;
