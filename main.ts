import { App, TerraformStack } from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { Resource } from "@cdktf/provider-null/lib/resource";
const app = new App();
const s = new TerraformStack(app, "demo");
new NullProvider(s, "null");
new Resource(s, "r", { triggers: { a: "b" } });
app.synth();
