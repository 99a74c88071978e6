using Iamport.Danal.Samples.Shop;

// dotnet run --project samples/Iamport.Danal.Samples.Shop             the shop (web page, API, webhook, hourly renewals)
// dotnet run --project samples/Iamport.Danal.Samples.Shop -- renew    one renewal run, then exit (cron, CronJob)
// dotnet run --project samples/Iamport.Danal.Samples.Shop -- migrate  bring the database's schema up to date, then exit
// No Iamport:ImpKey configured: an in-process fake I'mport serves the API and a simulated Danal window.
if (args is ["renew", .. var rest])
{
    await using var renewer = await ShopApp.CreateAsync(rest);
    return await ShopApp.RenewOnceAsync(renewer);
}

if (args is ["migrate", .. var options])
{
    // Starting the shop applies the migrations; this stops right after, before anything is served or charged.
    await using var migrated = await ShopApp.CreateAsync(options);
    Console.WriteLine("Shop database: schema up to date.");
    return 0;
}

await using var app = await ShopApp.CreateAsync(args);
await app.RunAsync();
return 0;
