// Vite's client types (import.meta.glob, CSS modules) for the web app, checked by the root tsc.
/// <reference types="vite/client" />
