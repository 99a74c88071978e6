namespace Iamport.Danal.LoadRunner;

/// <summary>What the client said happened to one charge.</summary>
public enum Reported
{
    /// <summary>Not run (should never remain after a run).</summary>
    None,

    /// <summary>Approved (status paid).</summary>
    Approved,

    /// <summary>Declined (status failed).</summary>
    Declined,

    /// <summary>Not charged: the reply was lost and the look-up found nothing.</summary>
    NotCharged,

    /// <summary>An <see cref="IamportException"/> other than outcome unknown (a second 401, no token, an open circuit): refused, nothing charged.</summary>
    Refused,

    /// <summary>An <see cref="IamportOutcomeUnknownException"/>: the look-up failed too.</summary>
    OutcomeUnknown,

    /// <summary>A bare <see cref="OperationCanceledException"/> after the caller cancelled: claims nothing left (a charge the
    /// fake recorded reported so is a bare cancellation after the charge left: target 0).</summary>
    Cancelled,

    /// <summary>Any exception that is not an <see cref="IamportException"/>: a bug.</summary>
    Error,
}
