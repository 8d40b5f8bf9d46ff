// The time zones the schedule form offers. Node's Intl.supportedValuesOf('timeZone') lists ICU's canonical
// names, some of them the old spellings (Asia/Calcutta) and without UTC; a manager looks for Asia/Kolkata.

const CURRENT_NAMES: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
};

export interface ZoneGroup {
  region: string;
  zones: string[];
}

let cached: string[] | null = null;

/** Every zone name the form offers, current spellings, UTC first. */
export function timeZoneNames(): string[] {
  cached ??= [
    'UTC',
    ...[...new Set(Intl.supportedValuesOf('timeZone').map((z) => CURRENT_NAMES[z] ?? z))]
      .filter((z) => z !== 'UTC')
      .sort(),
  ];
  return cached;
}

/**
 * The zones grouped by region for the select's optgroups; `extra` (the default zone, a schedule's own zone
 * made through the API with another spelling) is added where missing, so the select always shows it.
 */
export function timeZoneGroups(extra: string[] = []): ZoneGroup[] {
  const names = [...timeZoneNames()];
  for (const z of extra) if (z && !names.includes(z)) names.push(z);
  const groups = new Map<string, string[]>();
  for (const z of names) {
    const region = z.includes('/') ? z.slice(0, z.indexOf('/')) : 'General';
    groups.set(region, [...(groups.get(region) ?? []), z]);
  }
  return [...groups].map(([region, zones]) => ({ region, zones: region === 'General' ? zones : zones.sort() }));
}
