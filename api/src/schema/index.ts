// Imports every type module (each registers itself with the builder) and builds the schema.
// Nothing imports this file except the app and the schema printer.
import { builder } from '../builder.js';
import './money.js';
import './localized-text.js';
import './language.js';
import './target-group.js';
import './region.js';
import './district.js';
import './municipality.js';
import './programme.js';
import './programme-budget.js';
import './programme-translation.js';
import './provider.js';
import './opening-hours.js';
import './location.js';
import './course-details.js';
import './eligibility.js';
import './cost.js';
import './offer.js';
import './offer-translation.js';
import './slot.js';
import './contact.js';
import './contact-sync.js';
import './user-error.js';
import './offer-input.js';
import './sync.js';
import './offer-mutations.js';
import './slot-mutations.js';
import './offer-change.js';
import './api-key.js';
import './audit.js';
import './viewer.js';
import './webhook-attempt.js';
import './webhook-delivery.js';
import './webhook-endpoint.js';
import './webhook-mutations.js';

export const schema = builder.toSchema();
