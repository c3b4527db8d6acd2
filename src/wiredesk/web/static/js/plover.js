// PLOVER event types, their quad (cooperation/conflict, verbal/material) and the colours the desk uses for them.

export const QUADS = {
  vcoop: { label: "Verbal cooperation", color: "#2f6fb3" },
  mcoop: { label: "Material cooperation", color: "#1c9a72" },
  vconf: { label: "Verbal conflict", color: "#d48a1c" },
  mconf: { label: "Material conflict", color: "#c8384f" },
};

export const EVENTS = {
  AGREE: "vcoop", CONSULT: "vcoop", SUPPORT: "vcoop", CONCEDE: "vcoop",
  COOPERATE: "mcoop", AID: "mcoop", RETREAT: "mcoop",
  REQUEST: "vconf", ACCUSE: "vconf", REJECT: "vconf", THREATEN: "vconf",
  PROTEST: "mconf", SANCTION: "mconf", MOBILIZE: "mconf", COERCE: "mconf", ASSAULT: "mconf",
};

export const QUAD_ORDER = ["vcoop", "mcoop", "vconf", "mconf"];

export function quadOf(event) {
  return EVENTS[String(event || "").toUpperCase()] || "vcoop";
}

export function colorOf(event) {
  return QUADS[quadOf(event)].color;
}

/** "RUS" + "GOV" + name -> a short readable label for an entity record. */
export function entityLabel(entity) {
  if (!entity) return "";
  const code = [entity.code, entity.sector].filter(Boolean).join(" ");
  return entity.name ? `${entity.name}` : code;
}

export function partiesLabel(list) {
  if (!list || !list.length) return "";
  return list.map(entityLabel).join(" & ");
}
