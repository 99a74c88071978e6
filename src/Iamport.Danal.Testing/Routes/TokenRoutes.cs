using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Iamport.Danal.Testing.Hosting;
using Iamport.Danal.Testing.State;

namespace Iamport.Danal.Testing.Routes;

/// <summary><c>POST /users/getToken</c> and the token check every other API route goes through.</summary>
internal static class TokenRoutes
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan ExtensionWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Extension = TimeSpan.FromMinutes(5);

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/users/getToken", Pipeline.Serve(GetToken)).WithName(FakeRoutes.GetToken).AllowAnonymous();

    public static IResult Unauthorized() => Answer.Envelope(401, -1, "Unauthorized", null);

    public static void RevokeAll(FakeState state)
    {
        foreach (var token in state.Tokens.Values)
        {
            token.Revoked = true;
        }

        state.CurrentToken = null;
    }

    /// <summary>Whether the request carries a live token: <c>Authorization: Bearer t</c>, <c>Authorization: t</c> or <c>X-ImpTokenHeader: t</c>.</summary>
    public static bool IsAuthorized(FakeState state, HttpRequest request)
    {
        string value = request.Headers["X-ImpTokenHeader"].ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            value = request.Headers.Authorization.ToString();
            if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                value = value["Bearer ".Length..];
            }
        }

        return !string.IsNullOrWhiteSpace(value)
            && state.Tokens.TryGetValue(value.Trim(), out var token)
            && !token.Revoked
            && state.UtcNow < token.ExpiresAt;
    }

    private static IResult GetToken(Call context)
    {
        var state = context.State;
        var body = context.Body;
        if (body is null)
        {
            return Call.BadRequest(Call.UnreadableBody);
        }

        if (!string.Equals(body.String("imp_key"), state.Options.ImpKey, StringComparison.Ordinal)
            || !string.Equals(body.String("imp_secret"), state.Options.ImpSecret, StringComparison.Ordinal))
        {
            return Unauthorized();
        }

        var now = state.UtcNow;
        var token = state.CurrentToken;
        if (token is null || token.Revoked || now >= token.ExpiresAt)
        {
            token = new TokenRecord { Value = state.NewToken(), ExpiresAt = now + Lifetime };
            state.Tokens[token.Value] = token;
            state.CurrentToken = token;
            state.TokensIssued++;
        }
        else if (token.ExpiresAt - now <= ExtensionWindow)
        {
            token.ExpiresAt += Extension;
        }

        // The server clock may be off: now and expired_at move together, the lifetime does not.
        var skew = state.ServerClockSkew + context.Skew;
        return Answer.Ok(new JsonObject
        {
            ["access_token"] = token.Value,
            ["now"] = (now + skew).ToUnixTimeSeconds(),
            ["expired_at"] = (token.ExpiresAt + skew).ToUnixTimeSeconds(),
        });
    }
}
