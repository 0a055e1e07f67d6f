// Archive:Media:Remote=click: an image the archive has not stored is a button; a click asks the
// archive to fetch it (the reader's browser never contacts the origin) and shows it in place.
document.querySelectorAll("button.media-load[data-src]").forEach((button) => {
    button.addEventListener("click", () => {
        const img = document.createElement("img");
        img.alt = button.dataset.alt || "";
        if (button.dataset.class) img.className = button.dataset.class;
        img.referrerPolicy = "no-referrer";
        img.src = button.dataset.src;
        button.replaceWith(img);
    });
});
