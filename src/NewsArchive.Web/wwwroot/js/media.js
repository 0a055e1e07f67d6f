// Images the archive has not stored are placeholders (Media/MediaHtml.cs): a box with the picture's
// words and a link to the original. An image takes a box's place only once it has loaded, so a page
// never shows a broken one.
function imageFor(box, src) {
    const img = new Image();
    img.alt = box.dataset.alt || "";
    if (box.dataset.class) img.className = box.dataset.class;
    img.referrerPolicy = "no-referrer";
    img.addEventListener("load", () => box.replaceWith(img), { once: true });
    img.src = src;
    return img;
}

// Archive:Media:Remote=load: the reader's browser tries the origin; the box stays if that fails.
document.querySelectorAll(".media-placeholder[data-remote]").forEach((box) => imageFor(box, box.dataset.remote));

// Archive:Media:Remote=click: a click asks the archive to fetch it (the reader's browser never
// contacts the origin) and shows it in place.
document.querySelectorAll(".media-placeholder button.media-load[data-src]").forEach((button) => {
    button.addEventListener("click", () => {
        button.disabled = true;
        imageFor(button.closest(".media-placeholder"), button.dataset.src);
    });
});
