import { Testing } from "cdktf";
// Brings the matchers' type declarations (jest.Matchers augmentation) into the compilation.
import "cdktf/lib/testing/adapters/jest";

// cdktf's jest matchers: toHaveResourceWithProperties, toHaveDataSourceWithProperties, ...
Testing.setupJest();
