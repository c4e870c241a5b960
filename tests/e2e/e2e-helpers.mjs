// Steps shared by the offline and access end-to-end tests (harness.mjs has the rest).

const TIMEOUT = 150_000;

export async function waitReady(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]')?.dataset.ready === 'true',
    null, { timeout: TIMEOUT });
}

// Trains the user's own small model (the linear preset, `epochs` epochs) and waits until
// it predicts.
export async function trainSmallModel(page, epochs = 3) {
  await page.selectOption('#preset', 'linear');
  await page.fill('#epochs', String(epochs));
  await page.getByTestId('train-start').click();
  await page.waitForFunction(() => /^Predicting: your model: linear/.test(document.querySelector('[data-testid="model-in-use"]').textContent),
    null, { timeout: TIMEOUT });
}

// The ten probabilities on screen, every digit of each (data-exact).
export async function exactProbabilities(page) {
  return page.locator('[data-testid="probabilities"] > [data-digit]').evaluateAll((rows) => rows.map((row) => row.dataset.exact));
}
