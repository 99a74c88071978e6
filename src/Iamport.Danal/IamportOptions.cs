using System;

namespace Iamport.Danal
{
    /// <summary>Settings for the I'mport client, bound from the <c>Iamport</c> configuration section by default.</summary>
    /// <remarks><see cref="ToString"/> never includes <see cref="ImpSecret"/>.</remarks>
    public sealed class IamportOptions
    {
        /// <summary>The default configuration section name, <c>Iamport</c>.</summary>
        public const string SectionName = "Iamport";

        /// <summary>The Danal credit-card PG code, <c>danal_tpay</c>.</summary>
        public const string DanalPg = "danal_tpay";

        /// <summary>Gets or sets the REST API key (<c>imp_key</c>) from the I'mport console.</summary>
        /// <value>Required; no default.</value>
        public string ImpKey { get; set; } = "";

        /// <summary>Gets or sets the REST API secret (<c>imp_secret</c>) from the I'mport console.</summary>
        /// <value>Required; no default. Never logged, never part of an exception message or <see cref="ToString"/>.</value>
        public string ImpSecret { get; set; } = "";

        /// <summary>Gets or sets the merchant code (<c>imp12345678</c>) passed to <c>IMP.init</c> in the browser.</summary>
        /// <value>Optional for server calls; needed by the checkout snippet. The merchant code is public.</value>
        public string? MerchantCode { get; set; }

        /// <summary>Gets or sets the channel key of the Danal channel (recommended over <see cref="Pg"/>, which PortOne is phasing out).</summary>
        /// <value><see langword="null"/>. The PortOne console shows it under 결제 연동 → 연동 정보 → 채널 관리, as the
        /// channel's 채널 키. When set, the checkout sends <c>channelKey</c> instead of <c>pg</c>. Charges and schedules
        /// send it as <c>channel_key</c> only with <see cref="SendChannelKeyWithCharges"/>. Set either this or
        /// <see cref="Pg"/>, not both.</value>
        public string? ChannelKey { get; set; }

        /// <summary>Gets or sets whether charges and schedules (<c>POST /subscribe/payments/again</c>,
        /// <c>/subscribe/payments/schedule</c>) send <see cref="ChannelKey"/> as <c>channel_key</c>.</summary>
        /// <value><see langword="false"/>: no <c>channel_key</c> is sent, and I'mport charges the key through the channel
        /// that issued it. I'mport documents <c>channel_key</c> on these routes only to pick the channel of a <em>super
        /// billing key</em> (one key issued for several channels); for an ordinary Danal key it is undocumented. Set it to
        /// <see langword="true"/> only for a super billing key; it needs <see cref="ChannelKey"/>. A
        /// <see cref="ChargeRequest.ChannelKey"/> set on one charge is sent whatever this says.</value>
        /// <seealso href="https://developers.portone.io/api/rest-v1/nonAuthPayment"/>
        public bool SendChannelKeyWithCharges { get; set; }

        /// <summary>Gets or sets the <c>pg</c> value the checkout sends when no <see cref="ChannelKey"/> is set.</summary>
        /// <value><see langword="null"/>: <c>danal_tpay</c> (<see cref="DanalPg"/>) is sent while <see cref="ChannelKey"/> is
        /// not set, nothing when it is. Use <c>danal_tpay.{CPID}</c> when the merchant has several Danal MIDs. Setting both
        /// this and <see cref="ChannelKey"/>, or this to an empty string without a channel key, fails validation at start.
        /// The client reads the options once, when it is built: later changes to this object are not seen.</value>
        public string? Pg { get; set; }

        /// <summary>Gets or sets the address of the I'mport REST API.</summary>
        /// <value><c>https://api.iamport.kr/</c>.</value>
        public Uri BaseAddress { get; set; } = new Uri("https://api.iamport.kr/");

        /// <summary>Gets or sets the sub-merchant code sent as the <c>Tier</c> header.</summary>
        /// <value><see langword="null"/>: no header.</value>
        public string? Tier { get; set; }

        /// <summary>Gets or sets whether payment look-ups include test-channel (sandbox) payments.</summary>
        /// <value><see langword="false"/>. Set it to <see langword="true"/> while the Danal channel is in test mode:
        /// since 2026-01-26 I'mport hides sandbox payments unless asked. The look-up after a lost charge reply always
        /// includes them, whatever this says, so a test-channel charge is never reported as not charged.</value>
        public bool IncludeSandbox { get; set; }

        /// <summary>Gets or sets how long before the server-given expiry an access token is refreshed.</summary>
        /// <value>One minute. I'mport extends a token asked for within its last minute by five minutes.</value>
        public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>Gets or sets how long one HTTP request to I'mport may take before it is abandoned.</summary>
        /// <value>30 seconds. A charge that times out is looked up, never resent.</value>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Gets or sets how long a charge whose reply was lost is looked up before its outcome is reported unknown.</summary>
        /// <value>10 seconds. The look-up (never the charge) is repeated with growing pauses, from 0.1 to 2 seconds, until
        /// I'mport answers paid, failed or not found; <see cref="TimeSpan.Zero"/> makes a single look-up. A look-up already
        /// in flight when the window closes still runs to its end.</value>
        public TimeSpan ReconciliationWindow { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Gets or sets how long a charge whose reply was lost must have been looked up before a look-up that finds
        /// nothing reports <see cref="ChargeOutcome.NotCharged"/>.</summary>
        /// <value>3 seconds, counted from the lost reply; capped at <see cref="ReconciliationWindow"/>. When I'mport creates its
        /// record relative to its call to the card company is not documented, so an early "not found" may be a charge still
        /// in flight: until this has passed the look-up is repeated instead of believed.</value>
        public TimeSpan NotChargedSettlePeriod { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>Gets or sets the largest response body read from I'mport, counted after decompression.</summary>
        /// <value>1 MiB (1,048,576 bytes); a payment is about 2 KB and a page of 100 about 200 KB. Enforced while reading:
        /// a longer body is not read further and counts as no usable answer (a charge is then looked up, never resent).</value>
        public int MaxResponseBytes { get; set; } = 1024 * 1024;

        /// <inheritdoc />
        public override string ToString() =>
            $"IamportOptions {{ BaseAddress = {BaseAddress}, ImpKey = {(ImpKey.Length == 0 ? "(none)" : "(set)")}, ImpSecret = {(ImpSecret.Length == 0 ? "(none)" : "(set)")}, MerchantCode = {MerchantCode}, ChannelKey = {ChannelKey}, SendChannelKeyWithCharges = {SendChannelKeyWithCharges}, Pg = {Pg ?? "(default)"}, IncludeSandbox = {IncludeSandbox} }}";
    }
}
