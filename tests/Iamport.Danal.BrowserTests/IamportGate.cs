namespace Iamport.Danal.BrowserTests;

/// <summary>A slow I'mport for one request, on a shop instance's side of the wire: <see cref="Hold"/> arms it, the next
/// request that matches waits before it is sent until <see cref="Held.Release"/>, and <see cref="Held.Arrived"/> says it
/// is waiting. Lets a test put one path's request in flight while the others run, waiting on events, not on time.</summary>
internal sealed class IamportGate
{
    private readonly Lock _gate = new();
    private readonly List<Held> _armed = [];

    /// <summary>Holds the next <paramref name="method"/> request whose path ends in <paramref name="path"/> (or, ending
    /// in <c>/</c>, contains it).</summary>
    public Held Hold(HttpMethod method, string path)
    {
        var held = new Held(method, path);
        lock (_gate)
        {
            _armed.Add(held);
        }

        return held;
    }

    /// <summary>A handler for the instance's I'mport client (one per pipeline the factory builds).</summary>
    public DelegatingHandler NewHandler() => new Handler(this);

    private Held? Take(HttpRequestMessage request)
    {
        lock (_gate)
        {
            var held = _armed.Find(h => h.Matches(request));
            if (held is not null)
            {
                _armed.Remove(held);
            }

            return held;
        }
    }

    /// <summary>One armed request.</summary>
    internal sealed class Held(HttpMethod method, string path)
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the request is waiting at the gate.</summary>
        public Task Arrived => _arrived.Task;

        /// <summary>Sends the request on.</summary>
        public void Release() => _released.TrySetResult();

        public bool Matches(HttpRequestMessage request)
        {
            string requested = request.RequestUri!.AbsolutePath;
            return request.Method == method && (path.EndsWith('/') ? requested.Contains(path, StringComparison.Ordinal) : requested.EndsWith(path, StringComparison.Ordinal));
        }

        public Task WaitAsync()
        {
            _arrived.TrySetResult();
            return _released.Task;
        }
    }

    private sealed class Handler(IamportGate gate) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (gate.Take(request) is { } held)
            {
                await held.WaitAsync();
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
