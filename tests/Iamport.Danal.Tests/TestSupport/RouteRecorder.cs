using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.TestSupport;

/// <summary>Answers every request to one path (any query) with the given bodies in turn, and records each request exactly as sent.</summary>
internal sealed class RouteRecorder
{
    private readonly Queue<(HttpStatusCode Status, string Body)> _answers;

    public RouteRecorder(ApiFixture api, HttpMethod method, string path, params (HttpStatusCode Status, string Body)[] answers)
    {
        _answers = new(answers);
        api.Mock.When(method, Api.Base + path)
            .With(request => request.RequestUri!.AbsolutePath == path)
            .Respond(async request =>
            {
                string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
                Sent.Add(new WireRequest(request.Method.Method, request.RequestUri!.PathAndQuery, body, request.Content?.Headers.ContentType?.MediaType));
                (HttpStatusCode status, string answer) = _answers.Count > 1 ? _answers.Dequeue() : _answers.Peek();
                return new HttpResponseMessage(status) { Content = new StringContent(answer, Encoding.UTF8, Api.Json) };
            });
    }

    public List<WireRequest> Sent { get; } = [];

    public static (HttpStatusCode, string) Ok(string body) => (HttpStatusCode.OK, body);
}

/// <summary>One request as it went over the wire.</summary>
internal sealed record WireRequest(string Method, string PathAndQuery, string? Body, string? ContentType);
