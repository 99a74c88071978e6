using Iamport.Danal.Testing.State;

namespace Iamport.Danal.Testing.Routes;

/// <summary>Storing a billing key. Caller holds the state's gate.</summary>
internal static class Issuance
{
    /// <summary>Stores (or replaces: the old key is not revoked at the PG) the key for <paramref name="customerUid"/>.</summary>
    public static CustomerRecord Store(FakeState state, string customerUid, TestCard card, string? name, string? tel, string? email)
    {
        var now = state.NowUnix;
        var inserted = state.Customers.TryGetValue(customerUid, out var old) ? old.Inserted : now;
        var customer = new CustomerRecord
        {
            CustomerUid = customerUid,
            PgId = state.Options.PgId,
            Sandbox = state.Options.Sandbox,
            CardName = card.CardName,
            CardCode = card.CardCode,
            CardNumber = card.Masked,
            CardType = card.CardType,
            CustomerName = name,
            CustomerTel = tel,
            CustomerEmail = email,
            Inserted = inserted,
            Updated = now,
            Card = card,
        };
        state.Customers[customerUid] = customer;
        state.PendingDeclines.Remove(customerUid);
        return customer;
    }
}
