using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentKit.Server.Protocol;

/// <summary>
/// An error answered in OpenAI's shape:
/// <c>{"error":{"message":…,"type":…,"param":…,"code":…}}</c>, so OpenAI clients show the message.
/// </summary>
internal sealed class ApiError : Exception
{
    public const string InvalidRequestType = "invalid_request_error";
    public const string ServerErrorType = "server_error";

    public ApiError(int status, string message, string type, string? param = null, string? code = null)
        : base(message)
    {
        Status = status;
        Type = type;
        Param = param;
        Code = code;
    }

    public int Status { get; }

    public string Type { get; }

    public string? Param { get; }

    public string? Code { get; }

    /// <summary>400 for a parameter with an unusable value.</summary>
    public static ApiError InvalidValue(string param, string message) =>
        new(StatusCodes.Status400BadRequest, message, InvalidRequestType, param, "invalid_value");

    /// <summary>400 for a parameter of the wrong JSON type.</summary>
    public static ApiError InvalidType(string param, string expected) =>
        new(StatusCodes.Status400BadRequest, $"Invalid type for '{param}': expected {expected}.", InvalidRequestType, param, "invalid_type");

    /// <summary>400 for a missing required parameter.</summary>
    public static ApiError Missing(string param) =>
        new(StatusCodes.Status400BadRequest, $"Missing required parameter: '{param}'.", InvalidRequestType, param, "missing_required_parameter");

    public JsonObject ToJson() => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = Message,
            ["type"] = Type,
            ["param"] = Param,
            ["code"] = Code,
        },
    };

    public Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        return JsonResponse.WriteAsync(context, ToJson());
    }
}
