using Microsoft.Playwright;

namespace Iamport.Danal.BrowserTests;

/// <summary>Finds Debian's Chromium. Playwright never downloads a browser here: it drives this one via ExecutablePath.</summary>
internal static class Chromium
{
    public const string InstallHint =
        "Chromium was not found, so the browser tests cannot run. Install it with `apt-get install -y chromium` (as root, "
        + "after `apt-get update`), or point CHROMIUM_PATH at a Chromium/Chrome binary.";

    // Flags for a quiet, offline, container-friendly headless run (Playwright adds --headless itself).
    public static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    public static string? Find()
    {
        string? configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        string[] candidates = string.IsNullOrEmpty(configured)
            ? ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            : [configured];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Starts Playwright and a headless Chromium (skipped or failed as <see cref="Require"/> says when there is none).</summary>
    public static async Task<Session> LaunchAsync()
    {
        string path = Require();
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = Args,
            Timeout = 60_000,
        });
        return new Session(playwright, browser);
    }

    /// <summary>A running Playwright and its browser; disposing closes both.</summary>
    public sealed class Session(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
    {
        public IPlaywright Playwright { get; } = playwright;

        public IBrowser Browser { get; } = browser;

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
        }
    }

    /// <summary>The browser's path; without one the tests are skipped, except under CI=true where they fail.</summary>
    public static string Require()
    {
        if (Find() is { } path)
        {
            return path;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(InstallHint + " (CI=true: browser tests must run.)");
        }

        Assert.Ignore(InstallHint);
        return "";
    }
}

/// <summary>A fixture whose tests share one headless Chromium, launched before the first and closed after the last.</summary>
public abstract class ChromiumFixture
{
    private Chromium.Session? _session;

    protected IBrowser Browser => (_session ?? throw new InvalidOperationException("Chromium is not running.")).Browser;

    protected IPlaywright Playwright => (_session ?? throw new InvalidOperationException("Chromium is not running.")).Playwright;

    [OneTimeSetUp]
    public async Task LaunchChromiumAsync() => _session = await Chromium.LaunchAsync();

    [OneTimeTearDown]
    public async Task CloseChromiumAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }
    }
}
