import { Testing } from "cdktf";

// cdktf's jest matchers: toHaveResourceWithProperties, toHaveDataSourceWithProperties, ...
Testing.setupJest();
