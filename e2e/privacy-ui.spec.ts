// The privacy UI in the composer: detected personal data shown with its type
// (patterns at once, NER from the nlp worker), and the action the mode would
// take. Needs PrivacyHighlights (src/ui/privacy) mounted under the composer.
import { test, expect } from './fixtures';

test.describe('privacy highlights in the composer', () => {
  test('a name and an e-mail address are shown as PERSON and EMAIL chips, to be replaced', async ({ page, requests }) => {
    await page.goto('/?new');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.pressSequentially('My name is Alice Smith, email alice@example.com', { delay: 5 });
    const chips = page.getByTestId('privacy-chips');
    await expect(chips).toContainText('Detected:');
    await expect(chips.locator('[data-type="PERSON"]')).toContainText('Alice Smith');
    await expect(chips.locator('[data-type="EMAIL"]')).toContainText('alice@example.com');
    const action = page.getByTestId('privacy-action');
    await expect(action).toHaveAttribute('data-action', 'pseudonymize');
    await expect(action).toContainText(/will be replaced before sending/);
    // Before sending, the user can see exactly what would leave the device.
    const preview = page.getByTestId('draft-outbound');
    await preview.locator('summary').click();
    await expect(preview.getByTestId('outbound-text')).toHaveText(['My name is <PERSON_1>, email <EMAIL_1>']);
    // Typing never sends anything anywhere.
    expect(requests.chatRequests()).toEqual([]);
  });

  test('a name found only by the NER model (no pattern) is highlighted after the pause', async ({ page }) => {
    await page.goto('/?new');
    await page.getByRole('textbox', { name: 'Message' }).fill('Please send the report to Kofi Abernathy in Brisbane.');
    const person = page.getByTestId('privacy-chips').locator('[data-type="PERSON"]');
    await expect(person).toContainText('Kofi Abernathy', { timeout: 120_000 });
    await expect(person).toHaveAttribute('data-source', 'ner');
  });

  test('a card number keeps the message on the device', async ({ page }) => {
    await page.goto('/?new');
    await page.getByRole('textbox', { name: 'Message' }).fill('Is my card 4111 1111 1111 1111 still valid?');
    await expect(page.getByTestId('privacy-chips').locator('[data-type="CREDIT_CARD"]')).toContainText('4111 1111 1111 1111');
    const action = page.getByTestId('privacy-action');
    await expect(action).toHaveAttribute('data-action', 'local-only');
    await expect(action).toHaveText(/Stays on this device/);
  });

  test('a general question shows no chips and no action', async ({ page }) => {
    await page.goto('/?new');
    await page.getByRole('textbox', { name: 'Message' }).fill('What are the symptoms of diabetes?');
    await expect(page.getByTestId('privacy-action')).toHaveAttribute('data-action', 'allow');
    await expect(page.getByTestId('privacy-action')).toBeHidden();
    await expect(page.getByTestId('privacy-chips')).toHaveCount(0);
  });
});
