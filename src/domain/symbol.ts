/** A ticker as SERVICE.md defines it: 1-10 of A-Z, digits, '.', '-' (after upper-casing). */
export const SYMBOL_PATTERN = /^[A-Z0-9.-]{1,10}$/;
