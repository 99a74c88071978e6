using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Tests.Contract;

/// <summary>The contract against the fake I'mport, in-process, on the test's clock.</summary>
[TestFixture]
public sealed class FakeContractTests : ClientContractTests
{
    private FakeIamport _fake = null!;

    protected override HttpMessageHandler CreateBackend(FakeTimeProvider time)
    {
        _fake = new FakeIamport(new FakeIamportOptions { ImpKey = "contract_key", ImpSecret = "contract_secret" }, time);
        return _fake.CreateHandler();
    }

    [TearDown]
    public async Task DisposeFake() => await _fake.DisposeAsync();

    protected override void GivenBillingKey(string customerUid) => _fake.IssueBillingKey(customerUid);

    protected override void GivenNextChargeDeclines(string customerUid, string reason) => _fake.DeclineNext(customerUid, reason);

    protected override void GivenNotFoundStyle(NotFoundStyle style) => _fake.Options.NotFoundStyle = style;

    protected override int? ChargeCount(string merchantUid) => _fake.PaidChargeCount(merchantUid);
}
