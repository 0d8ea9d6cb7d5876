/** A ticker as the API defines it (README.md): 1-10 of A-Z, digits, '.', '-' (after upper-casing). */
export const SYMBOL_PATTERN = /^[A-Z0-9.-]{1,10}$/;
