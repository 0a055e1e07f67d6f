using Microsoft.AspNetCore.Mvc.RazorPages;

namespace NewsArchive.Web.Pages;

/// <summary>The page for errors and unknown addresses; it never shows internals.</summary>
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int code)
    {
        Code = code is >= 400 and <= 599 ? code : 404;
        Response.StatusCode = Code;
    }
}
