/**
 * The sample's data: quarterly revenue and costs for a few fictional partners, shipped inside the
 * bundle (a real core would read a database). Lookups are by a normalised name or alias.
 */
import figures from '../data/figures.json';

export interface QuarterFigures {
  year: number;
  quarter: 1 | 2 | 3 | 4;
  revenue: number;
  costs: number;
}

export interface Partner {
  id: string;
  name: string;
  quarters: QuarterFigures[];
}

interface RawPartner {
  id: string;
  name: string;
  aliases: string[];
  quarters: { year: number; quarter: number; revenue: number; costs: number }[];
}

const partners: Partner[] = (figures.partners as RawPartner[]).map((p) => ({
  id: p.id,
  name: p.name,
  quarters: p.quarters.map((q) => ({ ...q, quarter: q.quarter as QuarterFigures['quarter'] })),
}));

const byKey = new Map<string, Partner>();
for (const raw of figures.partners as RawPartner[]) {
  const partner = partners.find((p) => p.id === raw.id) as Partner;
  for (const key of [raw.id, raw.name, ...raw.aliases]) byKey.set(normalisePartnerName(key), partner);
}

/** Case, punctuation and spacing do not matter: "ACME corp." finds Acme Corp. */
export function normalisePartnerName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function findPartner(name: string): Partner | undefined {
  return byKey.get(normalisePartnerName(name));
}

export function partnerNames(): string[] {
  return partners.map((p) => p.name);
}

export function yearsCovered(partner: Partner): { first: number; last: number } {
  const years = partner.quarters.map((q) => q.year);
  return { first: Math.min(...years), last: Math.max(...years) };
}
