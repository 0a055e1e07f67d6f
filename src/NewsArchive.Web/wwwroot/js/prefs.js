// The reader's theme and text size, applied before the first paint: this file is a classic script in
// <head> (it blocks rendering for the few lines below), since the CSP lets no inline script run and a
// server-side cookie would split the output cache. site.js has the switches that change them.
try {
    const root = document.documentElement;
    const theme = localStorage.getItem("na-theme");
    const text = localStorage.getItem("na-text");
    if (theme === "light" || theme === "dark") root.dataset.theme = theme;
    if (text === "small" || text === "large") root.dataset.text = text;
} catch {
    // Storage blocked: the defaults (the system's theme, normal text).
}
