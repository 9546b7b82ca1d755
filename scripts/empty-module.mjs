// Stands in for optional modules that are never loaded (see build.mjs).
export default {};
