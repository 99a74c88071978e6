using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Iamport.Danal.LoadRunner;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class RunnerJson : JsonSerializerContext
{
}
