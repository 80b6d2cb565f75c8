using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Satmon.Core.Storage;

namespace Satmon.Auth;

/// <summary>API-key authentication, the viewer/operator policies, and the rule that mutating routes need operator.</summary>
internal static class AuthSetup
{
    public const string ViewerRole = "viewer";
    public const string OperatorRole = "operator";

    /// <summary>Policy for reading: any valid key.</summary>
    public const string ViewerPolicy = "viewer";

    /// <summary>Policy for commands and settings: an operator key.</summary>
    public const string OperatorPolicy = "operator";

    private static readonly string[] MutatingMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public static string RoleName(ApiKeyRole role) => role == ApiKeyRole.Operator ? OperatorRole : ViewerRole;

    public static IServiceCollection AddSatmonAuth(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyService>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var viewer = new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireRole(ViewerRole, OperatorRole).Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(ViewerPolicy, viewer)
            .AddPolicy(OperatorPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(OperatorRole))
            // Anything not marked otherwise needs at least a viewer key: a route added later is closed by default.
            .SetFallbackPolicy(viewer);
        return services;
    }

    /// <summary>Every POST/PUT/PATCH/DELETE endpoint of the group requires the operator policy.</summary>
    public static TBuilder RequireOperatorForMutations<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods);
            if (methods.Any(m => MutatingMethods.Contains(m, StringComparer.OrdinalIgnoreCase)))
            {
                endpoint.Metadata.Add(new AuthorizeAttribute(OperatorPolicy));
            }
        });
        return builder;
    }
}
