using Iamport.Danal.Samples.Shop;

// dotnet run --project samples/Iamport.Danal.Samples.Shop             the shop (web page, API, webhook, hourly renewals)
// dotnet run --project samples/Iamport.Danal.Samples.Shop -- renew    one renewal run, then exit (cron, CronJob)
// No Iamport:ImpKey configured: an in-process fake I'mport serves the API and a simulated Danal window.
if (args is ["renew", .. var rest])
{
    await using var renewer = await ShopApp.CreateAsync(rest);
    return await ShopApp.RenewOnceAsync(renewer);
}

await using var app = await ShopApp.CreateAsync(args);
await app.RunAsync();
return 0;
