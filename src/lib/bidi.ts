// Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what follows them:
// a remark "leak \u202Eevlav" reads "leak valve" backwards, and can make the next cell or line of a page
// or a CSV look different from what is stored. The marks LRM, RLM and ALM only set a direction and stay.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** What an operator wrote, as it is shown or exported: the stored text without bidi controls. */
export const withoutBidiControls = (text: string): string => text.replace(BIDI_CONTROLS, '');
