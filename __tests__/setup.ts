import "cdktf/lib/testing/adapters/jest"; // type declarations of cdktf's jest matchers
import { Testing } from "cdktf";

// Adds cdktf's matchers (toHaveResourceWithProperties, ...) to expect.
Testing.setupJest();
