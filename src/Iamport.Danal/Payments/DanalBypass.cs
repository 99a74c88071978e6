using System;
using System.IO;
using System.Text.Json;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>Danal's own options for a charge or schedule, sent as I'mport's <c>bypass</c> (<c>ChargeRequest.Bypass</c>, <c>ScheduleRequest.Bypass</c>).</summary>
/// <remarks>
/// I'mport's schema types <c>bypass</c> as a JSON <em>string</em> that it hands to the PG unchanged, so this is written as
/// the string <c>"{\"COLOR\":\"…\",\"ISCASHRECEIPTUI\":\"Y\"}"</c> with Danal's own field names; unset options are left out.
/// </remarks>
/// <seealso href="https://developers.portone.io/api/rest-v1/nonAuthPayment"/>
public sealed class DanalBypass
{
    /// <summary>The longest <see cref="Color"/> accepted.</summary>
    public const int MaxColorLength = 10;

    /// <summary>Gets the colour code of Danal's window (<c>COLOR</c>), as Danal's integration guide lists them.</summary>
    /// <value>At most <see cref="MaxColorLength"/> characters of <c>[A-Za-z0-9_-]</c>; <see langword="null"/> for Danal's default.</value>
    public string? Color { get; init; }

    /// <summary>Gets whether Danal shows its cash-receipt UI (<c>ISCASHRECEIPTUI</c>, sent as <c>Y</c> or <c>N</c>).</summary>
    /// <value><see langword="null"/> for Danal's default.</value>
    public bool? ShowCashReceiptUi { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the option that breaks its rule.</summary>
    internal void Validate(string paramName)
    {
        if (Color is not null)
        {
            RouteRules.Identifier(Color, paramName + "." + nameof(Color), "bypass.COLOR", MaxColorLength);
        }
    }

    /// <summary>The JSON object I'mport passes to Danal.</summary>
    internal string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (Color is not null)
            {
                writer.WriteString("COLOR", Color);
            }

            if (ShowCashReceiptUi is { } show)
            {
                writer.WriteString("ISCASHRECEIPTUI", show ? "Y" : "N");
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
