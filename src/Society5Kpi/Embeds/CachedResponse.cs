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

    /// <summary>A body as it is sent: its bytes and the ETag taken from them.</summary>
    public sealed record Representation(byte[] Bytes, string ETag, string ContentType)
    {
        public static Representation Of(string body, string contentType)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            return new(bytes, $"\"{Convert.ToBase64String(SHA256.HashData(bytes), 0, 18).Replace('+', '-').Replace('/', '_')}\"", contentType);
        }
    }

    /// <param name="download">A file name: the browser saves the response under it instead of showing it.</param>
    public static IResult Of(HttpContext http, string body, string contentType, string? download = null)
    {
        if (download is not null) http.Response.Headers.ContentDisposition = $"attachment; filename=\"{download}\"";
        return Of(http, Representation.Of(body, contentType));
    }

    public static IResult Of(HttpContext http, Representation answer)
    {
        http.Response.Headers.ETag = answer.ETag;
        http.Response.Headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        if (http.Request.Headers.IfNoneMatch.Any(value => value is not null &&
                value.Split(',').Any(tag => tag.Trim() == answer.ETag || tag.Trim() == "*")))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(answer.Bytes, answer.ContentType);
    }
}
