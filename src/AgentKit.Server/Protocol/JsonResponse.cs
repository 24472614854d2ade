using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentKit.Server.Protocol;

/// <summary>Writes a JSON body with the right content type.</summary>
internal static class JsonResponse
{
    public static Task WriteAsync(HttpContext context, JsonNode body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
