using System.Security.Cryptography;
using System.Text;

namespace Society5Kpi.Embeds;

/// <summary>
/// A public response that caches and survives being embedded everywhere: a strong ETag taken from the bytes themselves,
/// so it changes exactly when what is shown changes (a figure published or corrected), and a conditional request that
/// still matches is answered 304 with no body.
/// </summary>
public static class CachedResponse
{
    public const int MaxAgeSeconds = 300;

    /// <param name="download">A file name: the browser saves the response under it instead of showing it.</param>
    public static IResult Of(HttpContext http, string body, string contentType, string? download = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        if (download is not null) http.Response.Headers.ContentDisposition = $"attachment; filename=\"{download}\"";
        var etag = $"\"{Convert.ToBase64String(SHA256.HashData(bytes), 0, 18).Replace('+', '-').Replace('/', '_')}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        if (http.Request.Headers.IfNoneMatch.Any(value => value is not null &&
                value.Split(',').Any(tag => tag.Trim() == etag || tag.Trim() == "*")))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(bytes, contentType);
    }
}
