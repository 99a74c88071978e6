using Iamport.Danal.Samples.Shop;

// dotnet run --project samples/Iamport.Danal.Samples.Shop
// No Iamport:ImpKey configured: an in-process fake I'mport serves the API and a simulated Danal window.
await using var app = await ShopApp.CreateAsync(args);
await app.RunAsync();
