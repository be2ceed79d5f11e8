// Plain-Node runner for the healing unit tests while developing; the main config runs them in workerd.
import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["test/healing/**/*.test.ts"] } });
