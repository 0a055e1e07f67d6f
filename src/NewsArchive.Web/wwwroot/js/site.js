// The copy-permalink button. Without JavaScript the permalink stays visible and selectable.
document.querySelectorAll("button.copy").forEach((button) => {
    button.addEventListener("click", async () => {
        const input = document.querySelector(button.dataset.copy);
        if (!input) return;
        try {
            await navigator.clipboard.writeText(input.value);
        } catch {
            input.select();
            document.execCommand("copy");
        }
        const label = button.textContent;
        button.textContent = button.dataset.done;
        setTimeout(() => { button.textContent = label; }, 1500);
    });
});

// ===== reader-ui: preferences, the hit navigator, keyboard shortcuts =====

// Theme and text size: stored for prefs.js to apply on the next page before it paints.
const root = document.documentElement;
const prefs = document.querySelector(".prefs");
function store(key, value) {
    try {
        if (value) localStorage.setItem(key, value); else localStorage.removeItem(key);
    } catch {
        // Storage blocked: the choice holds for this page only.
    }
}
function showPrefs() {
    prefs.querySelectorAll("[data-theme-set]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.themeSet === (root.dataset.theme || "auto"))));
    prefs.querySelectorAll("[data-text-set]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.textSet === (root.dataset.text || "normal"))));
}
if (prefs) {
    prefs.hidden = false;
    prefs.addEventListener("click", (e) => {
        const b = e.target.closest("button");
        if (!b) return;
        if (b.dataset.themeSet) {
            const theme = b.dataset.themeSet === "auto" ? "" : b.dataset.themeSet;
            if (theme) root.dataset.theme = theme; else delete root.dataset.theme;
            store("na-theme", theme);
        } else if (b.dataset.textSet) {
            const text = b.dataset.textSet === "normal" ? "" : b.dataset.textSet;
            if (text) root.dataset.text = text; else delete root.dataset.text;
            store("na-text", text);
        } else if (b.hasAttribute("data-keys-help")) {
            document.getElementById("keys-help")?.showModal();
        }
        showPrefs();
    });
    showPrefs();
}

// The hit navigator: "3 / 71 ▲ ▼ ×" over the article's marks; the fragment keeps the place on reload.
const nav = document.querySelector(".hit-nav");
const marks = [...document.querySelectorAll("mark.hit")];
let current = -1;
function goToHit(index) {
    if (!nav || marks.length === 0) return;
    marks[current]?.classList.remove("current");
    current = (index + marks.length) % marks.length;
    const mark = marks[current];
    mark.classList.add("current");
    mark.tabIndex = -1;
    mark.focus({ preventScroll: true });
    mark.scrollIntoView({ block: "center" });
    history.replaceState(history.state, "", "#" + mark.id);
    const pos = nav.querySelector(".hit-pos");
    pos.textContent = `${current + 1} / ${marks.length}`;
    pos.title = nav.dataset.position.replace("{0}", current + 1).replace("{1}", marks.length);
}
if (nav && marks.length > 0) {
    nav.hidden = false;
    const list = document.querySelector(".hit-list");
    if (list) list.hidden = true;
    nav.addEventListener("click", (e) => {
        const b = e.target.closest("button[data-hit-step]");
        if (b) goToHit(current + Number(b.dataset.hitStep));
    });
    const start = marks.findIndex((m) => "#" + m.id === location.hash);
    if (start >= 0) goToHit(start);
}

// Shortcuts: / search, j/k articles in a list, n/p matches, ? help. Never while typing or with a modifier.
function stepArticle(delta) {
    const links = [...document.querySelectorAll("main .article-title a")];
    if (links.length === 0) return;
    const at = links.indexOf(document.activeElement);
    const next = links[at < 0 ? (delta > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + delta))];
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "nearest" });
}
document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (e.target.closest("input, textarea, select, [contenteditable]") || document.querySelector("dialog[open]")) return;
    const actions = {
        "/": () => {
            const box = document.querySelector("#q, #site-q");
            box?.focus();
            box?.select();
        },
        j: () => stepArticle(1),
        k: () => stepArticle(-1),
        n: () => goToHit(current + 1),
        p: () => goToHit(current < 0 ? -1 : current - 1),
        "?": () => document.getElementById("keys-help")?.showModal(),
    };
    const action = actions[e.key];
    if (action) {
        e.preventDefault();
        action();
    }
});
