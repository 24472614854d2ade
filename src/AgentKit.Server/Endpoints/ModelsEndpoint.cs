using System.Text.Json.Nodes;
using AgentKit.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace AgentKit.Server.Endpoints;

/// <summary><c>GET /v1/models</c>: the one served model, in OpenAI's list shape.</summary>
internal sealed class ModelsEndpoint(string modelName, long created)
{
    public Task HandleAsync(HttpContext context) => JsonResponse.WriteAsync(context, new JsonObject
    {
        ["object"] = "list",
        ["data"] = new JsonArray
        {
            new JsonObject { ["id"] = modelName, ["object"] = "model", ["created"] = created, ["owned_by"] = "agentkit" },
        },
    });
}
